// The part of the WebAssembly JavaScript API the wasm plugin host uses. Node has the API as a global;
// TypeScript declares it only with the DOM library, which this project does not load.
declare namespace WebAssembly {
  type ImportValue = ((...args: never[]) => unknown) | Global | Memory | number;
  type ModuleImports = Record<string, ImportValue>;
  type Imports = Record<string, ModuleImports>;
  type Exports = Record<string, unknown>;
  interface ModuleDescriptor {
    module?: string;
    name: string;
    kind: 'function' | 'table' | 'memory' | 'global' | 'tag';
  }
  class Module {
    constructor(bytes: ArrayBufferView | ArrayBuffer);
    static imports(module: Module): Required<ModuleDescriptor>[];
    static exports(module: Module): ModuleDescriptor[];
  }
  class Instance {
    constructor(module: Module, imports?: Imports);
    readonly exports: Exports;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
  }
  class Global {
    value: number;
  }
  class RuntimeError extends Error {}
}
