import { signUp, ZSignUpInput } from '@parallax/auth';
import { createTRPCRouter, publicProcedure } from '../trpc.ts';

export const authRouter = createTRPCRouter({
  signUp: publicProcedure.input(ZSignUpInput).mutation(({ ctx, input }) => signUp(ctx.db, input, ctx.ip ?? undefined)),
});
