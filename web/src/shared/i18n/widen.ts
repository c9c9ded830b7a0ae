/** The shape of a message catalog with any strings (the Chinese one is `as const`). */
export type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> }
