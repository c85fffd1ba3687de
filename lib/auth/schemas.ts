import { z } from "zod";

export const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email("Enter a valid email address.").max(254),
  password: z.string().min(1, "Enter your password.").max(1024),
});

export const setupSchema = credentialsSchema.extend({
  password: z.string().min(10, "Use at least 10 characters.").max(1024),
});

export type Credentials = z.infer<typeof credentialsSchema>;
