/*
 * Text from elsewhere (a result set, a console) made safe to show: a
 * terminal acts on control characters (an escape sequence may retitle
 * the window, recolour or rewrite the screen), and a JSON reader wants
 * UTF-8.
 */
#ifndef TLB_TEXT_H
#define TLB_TEXT_H

#include <stddef.h>

int text_char_len(const unsigned char *s, size_t n);

#endif
