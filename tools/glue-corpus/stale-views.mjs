// Why glue that caches memory views cannot run in the non-detaching mode (a case's `notFor`).

/** `who` (wasm-bindgen, napi-wasm, ...) renews its views only when one reads byteLength 0. */
export function renewsViewsOnlyWhenDetached(who) {
  return `${who} keeps views of memory and makes new ones only when the old one's byteLength is 0, which needs detaching`;
}
