export { RestProvider, restProviderHandler } from './rest-provider.js';
