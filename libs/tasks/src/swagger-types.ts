/**
 * The TypeScript type of a DTO property that holds another DTO class (or a list of them).
 * In ESM mode the Swagger CLI plugin emits `await import()` inside a sync function for any
 * class-typed property — even one declared in the same file, and even with an explicit
 * `@ApiProperty({ type })` — which is a SyntaxError at start. Through this alias the plugin emits
 * a harmless `Object`, and the explicit `@ApiProperty({ type: () => X })` supplies the schema.
 */
export type Nested<T> = Readonly<T>;
