/* perfmap.c: being written */
