build/release/base/fmt.o: src/base/fmt.c src/base/base.h
src/base/base.h:
