/** `name` stays as is when qualified, else becomes `name@provider`. */
export function qualifyRef(name: string, provider: string): string {
  return name.includes('@') ? name : `${name}@${provider}`;
}

/** The provider part of `name@provider` (`internal` for built-ins). */
export function providerOf(qualified: string): string {
  const at = qualified.lastIndexOf('@');
  return at === -1 ? '' : qualified.slice(at + 1);
}
