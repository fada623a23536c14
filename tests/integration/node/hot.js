// SPDX-License-Identifier: MIT
// Known hot functions for test-node.sh: main -> work -> leafA (2/3 of the time) / leafB (1/3),
// the same loop body, leafA twice the iterations. Prints "ready PID" after a second of warm-up.
function leafA(n) {
	let s = 0;
	for (let i = 0; i < n; i++) s = (s + i * 31) ^ (s >>> 3);
	return s;
}
function leafB(n) {
	let s = 0;
	for (let i = 0; i < n; i++) s = (s + i * 31) ^ (s >>> 3);
	return s;
}
function work() {
	return leafA(200000) + leafB(100000);
}
function main(ms) {
	const warm = Date.now() + 1000, end = Date.now() + ms;
	let k = 0, ready = false;
	while (Date.now() < end) {
		k += work();
		if (!ready && Date.now() > warm) {
			ready = true;
			console.log('ready ' + process.pid);
		}
	}
	return k;
}
main(Number(process.argv[2]));
