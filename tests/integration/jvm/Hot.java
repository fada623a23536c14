// SPDX-License-Identifier: MIT
// A JVM with two hot methods of the same loop body, hotA doing twice hotB's iterations: 2/3 of
// its CPU in hotA, 1/3 in hotB. Prints "ready" once both are JIT-compiled (after a warm-up), then
// runs for the given number of milliseconds. With a second argument, a path: once that file
// exists it prints "late" and runs only hotC, a method first called (and compiled) then.
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

	static long hotC(long n) {
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
		java.io.File go = args.length > 1 ? new java.io.File(args[1]) : null;
		for (long i = 1; System.nanoTime() < end; i++) {
			if (go != null && i % 256 == 0 && go.exists()) {
				System.out.println("late");
				System.out.flush();
				break;
			}
			round();
		}
		while (System.nanoTime() < end)
			sink += hotC(60000);
	}
}
