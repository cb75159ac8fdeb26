// WebAssembly.Tag: an exception tag created from JS or exported by a module (one object per tag),
// and the realm's JavaScript exception tag (WebAssembly.JSTag).

import { EXTERNREF, type ValType } from '../core/types.js';
import { registerFuncType } from '../api/types.js';
import { TagObject } from '../runtime/tag.js';
import { asWebIdlInterface } from './interface.js';
import type { Realm } from './realm.js';
import { valueTypeFromJs } from './valtypes.js';
import { dictionary, required, requireArgs, sequence } from './webidl.js';

export type TagClass = ReturnType<typeof defineTag>;

/** Defines this realm's Tag interface, registers its brand, and returns it with the JS exception tag. */
export function defineTag(realm: Realm) {
  let adopting: TagObject | null = null;
  const cache = new WeakMap<TagObject, Tag>();

  class Tag {
    readonly #raw: TagObject;

    constructor(type: unknown) {
      if (adopting !== null) {
        this.#raw = adopting;
        adopting = null;
      } else {
        requireArgs(arguments.length, 1, 'WebAssembly.Tag');
        this.#raw = createTag(type);
      }
      cache.set(this.#raw, this);
    }

    static {
      realm.tag = {
        wrap: (raw) => cache.get(raw) ?? adopt(raw),
        unwrap: (v) => (typeof v === 'object' && v !== null && #raw in v ? v.#raw : undefined),
      };
    }
  }

  function adopt(raw: TagObject): Tag {
    adopting = raw;
    return new Tag(undefined);
  }

  asWebIdlInterface(Tag, 1);
  return Tag;
}

/** A tag whose exceptions carry values of `params`. */
export function allocTag(params: readonly ValType[]): TagObject {
  return new TagObject(registerFuncType({ kind: 'func', params, results: [] }));
}

/** The JavaScript exception tag of a realm: (externref) -> (), allocated on first use. */
export function jsExceptionTag(realm: Realm): TagObject {
  realm.jsTag ??= allocTag([EXTERNREF]);
  return realm.jsTag;
}

function createTag(type: unknown): TagObject {
  const what = 'WebAssembly.Tag';
  const d = dictionary(type, what);
  const params = sequence(required(d, 'parameters', what), `${what}: parameters`)
    .map((p) => valueTypeFromJs(p, `${what}: parameters`));
  return allocTag(params);
}
