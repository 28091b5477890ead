export { makeTransparent, originalDestination } from './sockopt.js';
export { formatAddress, originalDestinationStage, type TransparentMode } from './stage.js';
