/* tlbbench compare: result sets side by side. */
#ifndef TLB_COMPARE_H
#define TLB_COMPARE_H

int cmd_compare(int argc, char **argv);

#endif
