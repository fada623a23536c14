/* bincache.c: being written */
