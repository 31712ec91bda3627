import { randomBytes } from "node:crypto";

/**
 * IDs for rows a statement inserts itself, shaped like Prisma's cuid(): "c", the time in base 36,
 * then randomness. Drawn in one go for a batch.
 */
export function newRecordIds(count: number): () => string {
  const time = `c${Date.now().toString(36).padStart(8, "0")}`;
  const random = randomBytes(count * 8).toString("hex");
  let next = 0;
  return () => {
    const id = time + random.slice(next * 16, next * 16 + 16);
    next += 1;
    return id;
  };
}
