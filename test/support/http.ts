/** Reads a JSON body for assertions (tests check shapes with expect, not with types). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const json = (res: Response): Promise<any> => res.json();
