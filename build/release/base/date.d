build/release/base/date.o: src/base/date.c src/base/base.h
src/base/base.h:
