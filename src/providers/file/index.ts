export { FileProvider, type FileProviderOptions } from './file-provider.js';
