// The command kinds the spec runner counts, and which kind each script command is counted under.

import type { WastCommand } from '../text/wast-types.js';

export const COMMAND_KINDS = [
  'module', 'register', 'invoke', 'get', 'assert_return', 'assert_trap', 'assert_exhaustion',
  'assert_invalid', 'assert_malformed_binary', 'assert_malformed_quote', 'assert_malformed_text',
  'assert_unlinkable', 'assert_uninstantiable', 'assert_exception',
] as const;

export type CommandKind = (typeof COMMAND_KINDS)[number];

/**
 * The kind a command is counted under. Module definitions and instances count as `module`;
 * instantiation traps as `assert_trap`; the custom-annotation assertions of custom/ as
 * `assert_invalid` and `assert_malformed_text` (they are text modules the parser must reject).
 */
export function kindOf(command: WastCommand): CommandKind {
  switch (command.kind) {
    case 'module': case 'module_definition': case 'module_instance': return 'module';
    case 'register': return 'register';
    case 'action': return command.action.kind === 'get' ? 'get' : 'invoke';
    case 'assert_return': return 'assert_return';
    case 'assert_trap': case 'assert_trap_module': return 'assert_trap';
    case 'assert_exhaustion': return 'assert_exhaustion';
    case 'assert_exception': return 'assert_exception';
    case 'assert_invalid': case 'assert_invalid_custom': return 'assert_invalid';
    case 'assert_malformed':
      return command.module.form === 'binary' ? 'assert_malformed_binary'
        : command.module.form === 'quote' ? 'assert_malformed_quote' : 'assert_malformed_text';
    case 'assert_malformed_custom': return 'assert_malformed_text';
    case 'assert_unlinkable': return 'assert_unlinkable';
    case 'assert_uninstantiable': return 'assert_uninstantiable';
  }
}
