/** What support's rules match on, as the API names them. */
export const LEVELS = ['A', 'B', 'C', 'D'] as const;
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
