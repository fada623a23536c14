/* elfsyms.c: being written */
