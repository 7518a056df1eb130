#!/usr/bin/env python3
"""Random chat lines for the pizza and bundled bots: pizza words, mixed scripts, tabs,
no-break spaces and emoji, with an order and a "no" every few lines so that replies land
mid-form and at the address and extra-cheese questions. Piped into `slotfill chat`, a crash
is a panic in the dialogue's text handling:
`scripts/random_replies.py 400 | slotfill chat --intents examples/pizza/intents --model examples/pizza/model`."""
import random, sys

WORDS = ["yes", "no", ",", "and", "extra", "cheese", "olives", "mushrooms", "é", "ß", "🍕",
         "\t", "  ", "8pm", "Via", "3", "Milan", "cancel", "add", "remove", "swap", "for",
         "the", "change", "delivery", "time", "large", "with", "without", "nah", "hold", "on",
         "nothing", "to", "7:30pm", "、", "ñ", "の"]

def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    rng = random.Random(7)
    for i in range(count):
        if i % 8 == 0:
            print("a large pizza with pepperoni and mushrooms")
        if i % 8 == 4:
            print("no")
        words = [rng.choice(WORDS) for _ in range(rng.randint(1, 8))]
        print(" ".join(words).replace("  ", " \u00a0"))

main()
