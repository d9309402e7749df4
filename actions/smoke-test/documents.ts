export { readDocumentInput } from '../../shared/action/inputs.ts';
