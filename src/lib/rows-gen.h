/* Expands the rows of a schema's table into one statement each: ROW(i),
 * i the row's index from 0, in the table's order. Included inside a parse
 * function with ROWS_DEF (the .def path) and ROW defined; undefines both.
 *
 * With the field table a static const array of the same file, each ROW is
 * a row reader of scan.h given a constant row: the compiler knows the
 * row's type, conversion, offset, key and neighbours, and keeps only the
 * code that row needs. */
{
        size_t rows_gen_i = 0;

#define F(...) ROW(rows_gen_i++);
#define C      F
#define P      F
#define G      F
#define W      F

#include ROWS_DEF

#undef F
#undef C
#undef P
#undef G
#undef W
        (void)rows_gen_i;
}
#undef ROWS_DEF
#undef ROW
