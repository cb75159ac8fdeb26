// The tswasm version, recorded in serialized modules (a test keeps it equal to package.json's).

/** This tswasm's version. */
export const VERSION = '0.1.0';
