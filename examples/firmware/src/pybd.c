/*
 * Two-region firmware in the MicroPython pyboard-D (PYBD-SF2) layout: the application in internal
 * flash from 0x08008000 (after the 32 KiB mboot bootloader) and a table in the memory-mapped QSPI
 * flash at 0x90000000 (section .text_ext). Built only to produce a DfuSe file with one target and
 * two elements. No libc.
 */
#include <stdint.h>

extern uint32_t _sidata, _sdata, _edata, _estack;

/* Lives in external QSPI flash: element 2 of the DfuSe file. */
__attribute__((section(".text_ext"), used))
const uint32_t qspi_table[64] = {
    0x51535049u, 0x00000001u, 0xdeadbeefu, 0x90000000u,
    [4 ... 63] = 0xa5a5a5a5u,
};

volatile uint32_t sum = 7u;

void Reset_Handler(void)
{
    uint32_t *src = &_sidata;
    for (uint32_t *dst = &_sdata; dst < &_edata;) {
        *dst++ = *src++;
    }
    for (;;) {
        for (unsigned i = 0; i < 64; i++) {
            sum += qspi_table[i];
        }
    }
}

__attribute__((section(".isr_vector"), used))
void (*const vector_table[16])(void) = {
    [0] = (void (*)(void))&_estack,
    [1] = Reset_Handler,
};
