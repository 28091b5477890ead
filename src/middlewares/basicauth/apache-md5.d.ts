declare module 'apache-md5' {
  /** MD5-crypt (`$apr1$` or `$1$`) of `password` with the salt found in `salt` (a full hash works). */
  export default function md5(password: string, salt?: string): string;
}
