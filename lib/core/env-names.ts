/** The environment variable names Kubernetes 1.27 accepts (validation.IsEnvVarName). */
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** Returns why `name` is not a valid environment variable name, or undefined when it is. */
export function envVarNameViolation(name: string): string | undefined {
  return ENV_VAR_NAME.test(name)
    ? undefined
    : `"${name}" is not a valid environment variable name (letters, digits, '_', '-' and '.', not starting with a digit)`;
}
