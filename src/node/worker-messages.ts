// WebAssembly objects posted between threads in a program on tswasm/register: Node's structured
// clone cannot carry tswasm's Memory and Module objects, so what is posted carries their
// descriptions (jsapi/posting.ts) and what is received has them made into the receiving thread's
// own objects again, before any listener sees the message. emscripten's pthreads glue posts its
// shared Memory and compiled Module to every Worker this way.

import { createRequire } from 'node:module';
import { BroadcastChannel, MessagePort, Worker } from 'node:worker_threads';
import { postable } from '../jsapi/posting.js';
import { postedMessageReader } from '../jsapi/received.js';

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

function replaceMethod(prototype: object, name: string, make: (original: AnyFunction) => AnyFunction): void {
  const original = (prototype as Record<string, unknown>)[name];
  if (typeof original !== 'function') return;
  Object.defineProperty(prototype, name, { value: make(original as AnyFunction), writable: true, configurable: true });
}

/** Node marks the listeners of `port.on('message', f)` this way: they receive the message itself, not an event. */
function isNodeStyle(options: unknown): boolean {
  if (typeof options !== 'object' || options === null) return false;
  return Object.getOwnPropertySymbols(options).some((s) => s.description === 'kIsNodeStyleListener' && (options as Record<symbol, unknown>)[s]);
}

/** Makes postMessage and message delivery of Workers, MessagePorts and BroadcastChannels carry `namespace`'s objects. */
export function carryWebAssemblyObjects(namespace: object): void {
  const read = postedMessageReader(namespace);
  for (const { prototype } of [Worker, MessagePort, BroadcastChannel]) {
    replaceMethod(prototype, 'postMessage', (post) => function postMessage(this: unknown, message: unknown, ...rest: unknown[]) {
      return post.call(this, postable(message), ...rest);
    });
  }
  // A Worker is an EventEmitter, whose messages all pass through emit.
  replaceMethod(Worker.prototype, 'emit', (emit) => function emitMessage(this: unknown, event: unknown, ...args: unknown[]) {
    if (event === 'message' && args.length > 0) args[0] = read(args[0]);
    return emit.call(this, event, ...args);
  });
  // MessagePorts and BroadcastChannels are EventTargets: `on('message')` and `onmessage` add listeners, which are wrapped.
  for (const { prototype } of [MessagePort, BroadcastChannel]) wrapListeners(prototype, read);
  carryThroughModuleExports(read);
}

/**
 * The ways node:worker_threads hands messages over without a listener: a Worker's `workerData`
 * (posted when it is constructed, read from the module in the Worker) and `receiveMessageOnPort`.
 * The module's exports are replaced; the caller makes ES imports see them (syncBuiltinESMExports).
 */
function carryThroughModuleExports(read: (message: unknown) => unknown): void {
  const threads = createRequire(import.meta.url)('node:worker_threads') as Record<string, unknown>;
  if (threads.isMainThread === false) threads.workerData = read(threads.workerData);
  const WorkerClass = threads.Worker as new (...args: unknown[]) => object;
  // A Proxy, not a subclass: the class stays the one Node made (its name, prototype and statics),
  // and a program's own subclasses construct through it.
  threads.Worker = new Proxy(WorkerClass, {
    construct(target, args: unknown[], newTarget) {
      const options = args[1] as { workerData?: unknown } | null | undefined;
      if (typeof options === 'object' && options !== null && 'workerData' in options) {
        const data = postable(options.workerData);
        if (data !== options.workerData) args = [args[0], { ...options, workerData: data }, ...args.slice(2)];
      }
      return Reflect.construct(target, args, newTarget) as object;
    },
  });
  const receive = threads.receiveMessageOnPort as ((port: unknown) => { message: unknown } | undefined) | undefined;
  if (typeof receive === 'function') {
    threads.receiveMessageOnPort = function receiveMessageOnPort(port: unknown) {
      const received = receive(port);
      if (received !== undefined) received.message = read(received.message);
      return received;
    };
  }
}

function wrapListeners(prototype: object, read: (message: unknown) => unknown): void {
  const wrappers = [new WeakMap<AnyFunction, AnyFunction>(), new WeakMap<AnyFunction, AnyFunction>()];
  const listeners = new WeakMap<AnyFunction, AnyFunction>();
  const wrap = (listener: AnyFunction, nodeStyle: boolean): AnyFunction => {
    const known = wrappers[nodeStyle ? 1 : 0]!;
    let wrapper = known.get(listener);
    if (wrapper === undefined) {
      wrapper = nodeStyle
        ? function (this: unknown, message: unknown, ...rest: unknown[]) { return listener.call(this, read(message), ...rest); }
        // An event's `data` cannot be replaced: the objects in it are (a message that is a Memory itself stays a description).
        : function (this: unknown, event: unknown, ...rest: unknown[]) {
          read((event as { data?: unknown } | null)?.data);
          return listener.call(this, event, ...rest);
        };
      known.set(listener, wrapper);
      listeners.set(wrapper, listener);
    }
    return wrapper;
  };
  replaceMethod(prototype, 'addEventListener', (add) => function addEventListener(this: unknown, type: unknown, listener: unknown, options?: unknown) {
    const l = type === 'message' && typeof listener === 'function' ? wrap(listener as AnyFunction, isNodeStyle(options)) : listener;
    return add.call(this, type, l, options);
  });
  replaceMethod(prototype, 'removeEventListener', (remove) => function removeEventListener(this: unknown, type: unknown, listener: unknown, options?: unknown) {
    if (type === 'message' && typeof listener === 'function') {
      const f = listener as AnyFunction;
      for (const known of wrappers) if (known.has(f)) remove.call(this, type, known.get(f), options);
    }
    return remove.call(this, type, listener, options);
  });
  let owner: object | null = prototype;
  while (owner !== null && Object.getOwnPropertyDescriptor(owner, 'onmessage') === undefined) owner = Object.getPrototypeOf(owner);
  const attribute = owner === null ? undefined : Object.getOwnPropertyDescriptor(owner, 'onmessage');
  if (attribute?.get !== undefined && attribute.set !== undefined) {
    const { get, set } = attribute;
    Object.defineProperty(prototype, 'onmessage', {
      get(this: unknown) {
        const handler = get.call(this) as AnyFunction | null;
        return (handler !== null && listeners.get(handler)) || handler;
      },
      set(this: unknown, handler: unknown) {
        set.call(this, typeof handler === 'function' ? wrap(handler as AnyFunction, false) : handler);
      },
      enumerable: attribute.enumerable ?? false,
      configurable: true,
    });
  }
}
