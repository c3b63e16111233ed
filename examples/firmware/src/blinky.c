/*
 * Minimal Cortex-M blinky for the dfu4j format fixtures: a vector table, a reset handler that
 * copies .data from flash (its load address) to RAM (its run address) and zeroes .bss, and a loop
 * that toggles one GPIO pin. No libc (-nostdlib). The board is chosen with -DBOARD_F405, -DBOARD_H743
 * or -DBOARD_F072; only the clock-enable and GPIO register addresses differ.
 */
#include <stdint.h>

#if defined(BOARD_F405)
/* STM32F405: RCC_AHB1ENR bit 0 enables GPIOA; LED on PA5 (RM0090). */
#define RCC_GPIO_ENR   (*(volatile uint32_t *)0x40023830u)
#define GPIO_EN_BIT    (1u << 0)
#define GPIO_BASE      0x40020000u
#define LED_PIN        5u
#define IRQ_COUNT      82
#elif defined(BOARD_H743)
/* STM32H743: RCC_AHB4ENR bit 1 enables GPIOB; LED LD1 on PB0 (RM0433, Nucleo-H743ZI). */
#define RCC_GPIO_ENR   (*(volatile uint32_t *)0x580244E0u)
#define GPIO_EN_BIT    (1u << 1)
#define GPIO_BASE      0x58020400u
#define LED_PIN        0u
#define IRQ_COUNT      150
#elif defined(BOARD_F072)
/* STM32F072 (the plain DFU simulator personality's part): RCC_AHBENR bit 17 enables GPIOA; LED LD2 on
 * PA5 (RM0091, Nucleo-F072RB). Linked after a 16 KB bootloader, at 0x08004000. */
#define RCC_GPIO_ENR   (*(volatile uint32_t *)0x40021014u)
#define GPIO_EN_BIT    (1u << 17)
#define GPIO_BASE      0x48000000u
#define LED_PIN        5u
#define IRQ_COUNT      32
#else
#error "define BOARD_F405, BOARD_H743 or BOARD_F072"
#endif

#define GPIO_MODER     (*(volatile uint32_t *)(GPIO_BASE + 0x00u))
#define GPIO_ODR       (*(volatile uint32_t *)(GPIO_BASE + 0x14u))

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _estack;

/* Initialised data: lives in RAM at run time, its initial value is stored in flash (LMA != VMA). */
volatile uint32_t blink_delay = 400000u;
volatile uint32_t blink_count = 3u;
/* Zero-initialised data: .bss, no bytes in the image. */
volatile uint32_t toggles;

void Reset_Handler(void);
void Default_Handler(void);

int main(void)
{
    RCC_GPIO_ENR |= GPIO_EN_BIT;
    GPIO_MODER = (GPIO_MODER & ~(3u << (2u * LED_PIN))) | (1u << (2u * LED_PIN));
    for (;;) {
        GPIO_ODR ^= 1u << LED_PIN;
        toggles++;
        for (volatile uint32_t i = 0; i < blink_delay * blink_count; i++) {
        }
    }
}

void Reset_Handler(void)
{
    uint32_t *src = &_sidata;
    for (uint32_t *dst = &_sdata; dst < &_edata;) {
        *dst++ = *src++;
    }
    for (uint32_t *dst = &_sbss; dst < &_ebss;) {
        *dst++ = 0;
    }
    main();
    for (;;) {
    }
}

void Default_Handler(void)
{
    for (;;) {
    }
}

/* Initial stack pointer, 15 system exceptions, then the device interrupts. */
__attribute__((section(".isr_vector"), used))
void (*const vector_table[16 + IRQ_COUNT])(void) = {
    [0] = (void (*)(void))&_estack,
    [1] = Reset_Handler,
    [2 ... 15 + IRQ_COUNT] = Default_Handler,
};
