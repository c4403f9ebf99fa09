import { z } from 'zod';

export const ZEmail = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'Enter a valid email address' }))
  .pipe(z.string().max(254));
export const ZPassword = z.string().min(10, { message: 'Use at least 10 characters' }).max(200, { message: 'Use at most 200 characters' });
export const ZSignUpInput = z.object({
  email: ZEmail,
  password: ZPassword,
  name: z.string().trim().min(1, { message: 'Enter your name' }).max(100),
});
export type TSignUpInput = z.infer<typeof ZSignUpInput>;
