// SPDX-License-Identifier: MIT
// A JVM with two hot methods of the same loop body, hotA doing twice hotB's iterations: 2/3 of
// its CPU in hotA, 1/3 in hotB. Prints "ready" once both are JIT-compiled (after a warm-up), then
// runs for the given number of milliseconds.
public class Hot {
	static volatile long sink;

	static long hotA(long n) {
		long s = 0;
		for (long i = 0; i < n; i++)
			s += i * 31 ^ s;
		return s;
	}

	static long hotB(long n) {
		long s = 0;
		for (long i = 0; i < n; i++)
			s += i * 31 ^ s;
		return s;
	}

	static void round() {
		sink += hotA(60000);
		sink += hotB(30000);
	}

	public static void main(String[] args) {
		long warm = System.nanoTime() + 1500L * 1000000L;
		while (System.nanoTime() < warm)
			round();
		System.out.println("ready " + ProcessHandle.current().pid());
		System.out.flush();
		long end = System.nanoTime() + Long.parseLong(args[0]) * 1000000L;
		while (System.nanoTime() < end)
			round();
	}
}
