/* Which characters are text (see text.h). */
#include "text.h"

/*
 * The length of the character at S, of the N bytes there, if it is text
 * to show as it is: valid UTF-8 (no overlong form, surrogate or code
 * point past U+10FFFF) and no control character but tab and newline (not
 * C0, DEL or C1, U+0080..U+009F, which 8-bit terminals take for escape
 * sequences).  0 when its first byte must be replaced; -1 when the N
 * bytes hold only the start of a character.
 */
int text_char_len(const unsigned char *s, size_t n)
{
	size_t len;

	if (!n)
		return -1;
	if (s[0] < 0x80)
		return (s[0] < 0x20 && s[0] != '\t' && s[0] != '\n') ||
		       s[0] == 0x7f ? 0 : 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	for (size_t i = 1; i < len; i++) {
		if (i >= n)
			return -1;
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	}
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90) ||
	    (s[0] == 0xc2 && s[1] < 0xa0))
		return 0;
	return len;
}
