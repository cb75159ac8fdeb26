// An exception tag. Tags can be defined, imported and exported already; throwing and catching
// (exception handling) is not compiled yet.

export class TagObject {
  /** Canonical id of the tag's function type. */
  constructor(readonly typeId: number) {}
}
