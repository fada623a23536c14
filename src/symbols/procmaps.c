/* procmaps.c: being written */
