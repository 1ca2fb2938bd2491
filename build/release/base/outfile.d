build/release/base/outfile.o: src/base/outfile.c src/base/base.h
src/base/base.h:
