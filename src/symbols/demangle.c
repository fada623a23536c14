/* demangle.c: being written */
