/* ksyms.c: being written */
