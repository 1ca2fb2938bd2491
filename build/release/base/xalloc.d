build/release/base/xalloc.o: src/base/xalloc.c src/base/base.h
src/base/base.h:
