build/release/base/sources.o: src/base/sources.c src/base/base.h
src/base/base.h:
