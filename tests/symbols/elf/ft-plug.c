/* SPDX-License-Identifier: MIT */
/* A library ft-target dlopens after its maps were read, to test re-reading them on a miss. */
__attribute__((noinline)) int plug_fn(int x)
{
	return x * x + 11;
}
