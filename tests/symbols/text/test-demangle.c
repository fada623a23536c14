/* SPDX-License-Identifier: MIT */
/* Unit tests for demangle: C++ through libiberty, legacy Rust decoded here, and names that
 * must come back NULL (not mangled, broken, hostile, too long). */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "demangle.h"

static void expect_(const char *mangled, const char *want)
{
	char *got = demangle(mangled);

	if (want) {
		CHECK_STR(got, want);
	} else if (got) {
		fprintf(stderr, "demangle(\"%.80s\") = \"%.80s\", expected NULL\n", mangled, got);
		CHECK(got == NULL);
	}
	free(got);
}
#define expect(...) CHECK_CALLER(expect_(__VA_ARGS__))

static void test_cxx(void)
{
	expect("_Z3foov", "foo()");
	expect("_ZN3foo3barEv", "foo::bar()");
	expect("_ZNK3Foo3barEv", "Foo::bar() const");
	expect("_ZNSt6vectorIiSaIiEE9push_backERKi",
	       "std::vector<int, std::allocator<int> >::push_back(int const&)");
	expect("_Z3fooIiEvT_", "void foo<int>(int)");
	expect("_ZN9__gnu_cxx13new_allocatorIcE8allocateEmPKv",
	       "__gnu_cxx::new_allocator<char>::allocate(unsigned long, void const*)");
	expect("_Z3fooIiEvT_.cold", "void foo<int>(int) [clone .cold]");
	expect("_ZN12_GLOBAL__N_13bazEv", "(anonymous namespace)::baz()");
	/* nested but not Rust: no hash segment, so C++ rules apply */
	expect("_ZN3fooE", "foo");
	expect("_ZN3fooEv.cold", "foo() [clone .cold]");
	/* a PLT stub or a symbol version after the name: the name is demangled, the suffix kept */
	expect("_ZdlPv@plt", "operator delete(void*)@plt");
	expect("_Znwm@plt", "operator new(unsigned long)@plt");
	expect("_ZNSt6vectorIiSaIiEE9push_backERKi@plt",
	       "std::vector<int, std::allocator<int> >::push_back(int const&)@plt");
	expect("_Z3foov@@GLIBCXX_3.4", "foo()@@GLIBCXX_3.4");
	expect("_ZN4core3fmt9Arguments6new_v117h0123456789abcdefE@plt",
	       "core::fmt::Arguments::new_v1@plt");
	expect("_RNvCs9osdHJuzNgD_4spin8hot_loop@plt", "spin::hot_loop@plt");
	expect("_Z@plt", NULL);
	expect("_Zbroken@plt", NULL);
}

static void test_rust(void)
{
	expect("_ZN4core3fmt9Arguments6new_v117h0123456789abcdefE", "core::fmt::Arguments::new_v1");
	expect("_ZN70_$LT$alloc..vec..Vec$LT$T$C$A$GT$$u20$as$u20$core..ops..drop..Drop$GT$"
	       "4drop17h5d9f6d4c4b3a2e1fE",
	       "<alloc::vec::Vec<T,A> as core::ops::drop::Drop>::drop");
	expect("_ZN3std2rt10lang_start28_$u7b$$u7b$closure$u7d$$u7d$17h3f7f5f5e5d5c5b5aE",
	       "std::rt::lang_start::{{closure}}");
	/* an LLVM suffix after the hash is dropped */
	expect("_ZN3std2rt10lang_start28_$u7b$$u7b$closure$u7d$$u7d$17h3f7f5f5e5d5c5b5aE.llvm.42",
	       "std::rt::lang_start::{{closure}}");
	expect("_ZN4core3ptr85drop_in_place$LT$std..rt..lang_start$LT$$LP$$RP$$GT$..$u7b$$u7b$"
	       "closure$u7d$$u7d$$GT$17h0123456789abcdefE",
	       "core::ptr::drop_in_place<std::rt::lang_start<()>::{{closure}}>");
	expect("_ZN3foo13$RF$x$BP$$SP$17h0123456789abcdefE", "foo::&x*@");
	/* a non-ASCII $u..$ stays as written instead of becoming a raw byte */
	expect("_ZN3foo6a$u7$b17h0123456789abcdefE", "foo::a$u7$b");
	expect("_ZN3foo5a$LTb17h0123456789abcdefE", "foo::a$LTb");
	/* a hash that is not 16 hex digits is not a Rust hash: C++ keeps it as a name */
	expect("_ZN3foo17hxyz3456789abcdefE", "foo::hxyz3456789abcdef");
}

/* Rust v0, as rustc-demangle prints it with {:#} (expected strings from its test suite and
 * from rustc 1.95 builds) */
static void test_rust_v0(void)
{
	expect("_RNvCs9osdHJuzNgD_4spin8hot_loop", "spin::hot_loop");
	expect("_RNvC6_123foo3bar", "123foo::bar");
	expect("_RNvNtCs1234_7mycrate3foo3bar", "mycrate::foo::bar");
	expect("_RNCNCNgCs6DXkGYLi8lr_2cc5spawn00B5_", "cc::spawn::{closure#0}::{closure#0}");
	expect("_RNvMsr_NtCs3ssYzQotkvD_3std4pathNtB5_7PathBuf3newCs15kBYyAo9fc_7mycrate",
	       "<std::path::PathBuf>::new");
	expect("_RNvXCs15kBYyAo9fc_7mycrateNtB2_7FooTypeNtNtCs7l3q5pS4JDs_4core3fmt7Display3fmt",
	       "<mycrate::FooType as core::fmt::Display>::fmt");
	expect("_RINvNtCs1234_3std3mem4swaplEB4_", "std::mem::swap::<i32>");
	expect("_RINbNbCskIICzLVDPPb_5alloc5alloc8box_freeDINbNiB4_5boxed5FnBoxuEp6OutputuEL_ECs1iopQbuBiw2_3std",
	       "alloc::alloc::box_free::<dyn alloc::boxed::FnBox<(), Output = ()>>");
	expect("_RINvC4core4implKj1f_EB2_", "core::impl::<31>");
	expect("_RNvC4core4mainCsabc_4user.llvm.123", "core::main");
	/* not v0, or not understood: the raw name stays */
	CHECK(demangle("_R") == NULL);
	CHECK(demangle("_RNvC") == NULL);
	CHECK(demangle("_RB_") == NULL);          /* a backref to itself */
	CHECK(demangle("_RNvB0_3foo") == NULL);   /* a backref forwards */
	CHECK(demangle("_R0NvC3foo3bar") == NULL); /* an encoding version */
	CHECK(demangle("_RNvCu3foo3bar") == NULL); /* punycode */
	CHECK(demangle("_RNvC3foo3barX") == NULL);
}

/* Hostile v0 input stays bounded: deep nesting and backrefs that would replay exponentially */
static void test_rust_v0_hostile(void)
{
	char buf[4200];
	size_t n = 2;
	char *out;

	memcpy(buf, "_R", 2);
	for (int i = 0; i < 1000 && n + 8 < sizeof(buf); i++) {
		memcpy(buf + n, "INvC1a1b", 8);
		n += 8;
	}
	buf[n] = '\0';
	CHECK(demangle(buf) == NULL); /* deeper than the bound */
	/* each level's arguments point back at the previous level twice */
	n = 0;
	n += (size_t)snprintf(buf, sizeof(buf), "_RINvC1a1bTB0_B0_EE");
	out = demangle(buf);
	CHECK(!out || strlen(out) <= 4096);
	free(out);
}

static void test_not_mangled(void)
{
	char *s;

	expect("main", NULL);
	expect("", NULL);
	expect("_start", NULL);
	expect("Z3foov", NULL);
	expect("_R", NULL);
	expect("_Z", NULL);
	expect("_Zjunk", NULL);
	expect("_Z3foo", "foo"); /* a bare name is valid */
	expect("_Z3foov\x1b[31m", NULL);
	expect("_ZN3foo17h0123456789abcde", NULL);
	expect("_ZN999999999999999999999foo17h0123456789abcdefE", NULL);
	s = demangle(NULL);
	CHECK(s == NULL);
}

static void test_hostile(void)
{
	static char buf[8192];
	struct timespec t0, t1;
	double ms;
	int i;
	char *s;

	/* over the input cap: not even looked at */
	memset(buf, 'a', sizeof(buf) - 1);
	memcpy(buf, "_Z8190", 6);
	expect(buf, NULL);

	/* long but within the cap: deep nesting must neither crash nor hang */
	static const char *const patterns[] = { "P", "I", "A1_", "N1a", "IT_", "S_", "Dp", "FvE" };
	for (i = 0; i < (int)(sizeof(patterns) / sizeof(patterns[0])); i++) {
		size_t plen = strlen(patterns[i]), n = 4;

		memcpy(buf, "_Z1f", 4);
		while (n + plen < 4000) {
			memcpy(buf + n, patterns[i], plen);
			n += plen;
		}
		buf[n] = '\0';
		s = demangle(buf);
		free(s); /* any answer will do; surviving is the test */
	}

	/* each template refers twice to the previous one: output doubles per 10 input bytes */
	{
		char *p = buf + sprintf(buf, "_Z1f1xIS_S_E");

		for (i = 1; i < 36; i++) {
			char ref[8];

			/* S_ is substitution 0, S0_ is 1 ... S9_ is 10, SA_ is 11 */
			snprintf(ref, sizeof(ref), "S%c_",
				 i <= 10 ? '0' + (i - 1) : 'A' + (i - 11));
			p += sprintf(p, "S_I%s%sE", ref, ref);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	s = demangle(buf);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	CHECK(s == NULL);
	CHECK(ms < 1000);
	free(s);
}

/* Names GCC 12's demangler (libstdc++'s __cxa_demangle, libsupc++) never returns from: a
 * symbol in the profiled user's binary would stall the symbolizer for good. */
static void test_loops(void)
{
	static const char *const names[] = { "_Z1fAsrCi", "_ZssAsrC",
		/* the fuzzer's find, in full (956 bytes) starts like this */
		"_Z5atB0_7_bUB3YAfffffffffffCCCCCCCCssssssssssAsssssssssssssssssssssssssssssssss"
		"ssssssssssssss1sssssssssssssCCCCsssssssssssssssssssssssssssssssssssssssssssssssss"
		"ssssssssssssssssrsssssssssssssssssssssssssssssssssssssCC" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *s;

		alarm(5); /* a hang ends the test with SIGALRM, not at meson's timeout */
		s = demangle(names[i]);
		alarm(0);
		free(s); /* returning is the test */
	}
}

int main(void)
{
	test_loops();
	test_cxx();
	test_rust();
	test_rust_v0();
	test_rust_v0_hostile();
	test_not_mangled();
	test_hostile();
	return check_done();
}
