// An index space of a module (types, functions, tables, ...): the identifiers bound in it, how
// many entries it has, and the names to record in the name section.

export class IdSpace {
  readonly ids = new Map<string, number>();
  /** Names for the name section: from `$id` or an `(@name "...")` annotation. */
  readonly names = new Map<number, string>();
  count = 0;

  constructor(readonly category: string) {}

  /** Adds an entry, binding `id` when given; returns its index, or -1 when `id` is already bound. */
  add(id: string | null): number {
    const index = this.count++;
    if (id !== null) {
      if (this.ids.has(id)) return -1;
      this.ids.set(id, index);
      this.names.set(index, id);
    }
    return index;
  }
}
