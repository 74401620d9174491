/** A call's length as a clock reads it: 95 seconds is 1:35. */
export const minutes = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
