/* symbolizer.c: being written */
