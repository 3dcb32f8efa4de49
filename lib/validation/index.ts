export { Validation, ValidationOptions, enableValidation, validateObjects } from './validation';
export { ValidationRule, VALIDATION_RULES } from './rule';
export { ExternalObjects } from './policy';
export { Namespace, NamespaceProps } from './namespace';
export { NOISE_FILTER } from './noise';
export { K8sVersion } from './schema/validator';
