#!/usr/bin/env python3
"""Learns extraction's OCR word corrections, extract/model/lexicon.txt, from receipts with truth.

    scripts/train-lexicon.py [TRAIN_DIR] [OUT]

TRAIN_DIR (default ../shared/data/sroie-train) holds NAME.truth.json (fields, and the annotators'
lines with boxes) beside NAME.ocr.json (what `quire ocr --json` read). The output holds:

  word W N        a word of vendor names and addresses, printed by N different vendors (N >= 2):
                  the words an OCR near-miss is corrected to ("SETANGOR" -> "SELANGOR")
  known W         a word the annotators typed on two receipts or more, never corrected away
  postcode P T    a postcode printed before town word T in an address ("53200 KUALA")
  confusion O T N OCR read character O where T was printed, N times (aligned words of the
                  annotators' lines and the OCR words inside their boxes)

Vendors are told apart by the first word of their name, so that the branches of one chain count
once: a word is common when unrelated vendors print it, never because one vendor printed it often.
Rebuild quire afterwards to compile the lexicon in. Not part of `make test`.
"""
import collections
import glob
import json
import os
import re
import sys

TOKEN = re.compile(r"[A-Z0-9$]+")


def tokens(text):
    return TOKEN.findall(text.upper())


def has_letter(word):
    return any(c.isalpha() for c in word)


def edit_alignment(a, b):
    """Levenshtein alignment of a (OCR) to b (truth): the (a_char, b_char) substitutions."""
    n, m = len(a), len(b)
    d = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        d[i][0] = i
    for j in range(m + 1):
        d[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
    pairs = []
    i, j = n, m
    while i > 0 and j > 0:
        if d[i][j] == d[i - 1][j - 1] + (a[i - 1] != b[j - 1]):
            if a[i - 1] != b[j - 1]:
                pairs.append((a[i - 1], b[j - 1]))
            i, j = i - 1, j - 1
        elif d[i][j] == d[i - 1][j] + 1:
            i -= 1
        else:
            j -= 1
    return d[n][m], pairs


def ocr_words_in(box, words):
    """The OCR words whose middle lies in `box` ([x, y, w, h]), left to right."""
    x, y, w, h = box
    inside = [wd for wd in words
              if x <= wd["box"][0] + wd["box"][2] / 2 <= x + w
              and y <= wd["box"][1] + wd["box"][3] / 2 <= y + h]
    return sorted(inside, key=lambda wd: wd["box"][0])


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    train = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "../shared/data/sroie-train")
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "extract/model/lexicon.txt")

    vendors_of = collections.defaultdict(set)  # word -> first words of the vendors printing it
    docs_of = collections.Counter()  # word -> receipts whose annotated lines hold it
    towns = collections.defaultdict(collections.Counter)  # postcode -> town word -> receipts
    confusions = collections.Counter()
    receipts = 0
    for truth_file in sorted(glob.glob(os.path.join(train, "*.truth.json"))):
        truth = json.load(open(truth_file))
        fields = truth.get("fields", {})
        name, address = fields.get("vendor_name", ""), fields.get("vendor_address", "")
        if not name:
            continue
        receipts += 1
        vendor = tokens(name)[0] if tokens(name) else name
        for word in set(tokens(name) + tokens(address)):
            if has_letter(word) and len(word) >= 2:
                vendors_of[word].add(vendor)
        address_tokens = tokens(address)
        for here, after in zip(address_tokens, address_tokens[1:]):
            if re.fullmatch(r"\d{5}", here) and after.isalpha():
                towns[here][after] += 1
        for word in set(tokens(truth.get("text", ""))):
            if word.isalpha() and len(word) >= 2:
                docs_of[word] += 1

        ocr_file = truth_file.replace(".truth.json", ".ocr.json")
        if not os.path.exists(ocr_file):
            continue
        page = json.load(open(ocr_file))["pages"][0]
        if page.get("rotation", 0) != 0:
            continue  # word boxes in another frame than the annotators'
        for line in truth.get("lines", []):
            read = tokens(" ".join(wd["text"] for wd in ocr_words_in(line["box"], page["words"])))
            printed = tokens(line["text"])
            if len(read) != len(printed):
                continue  # words split or joined: no reliable pairing
            for got, want in zip(read, printed):
                distance, pairs = edit_alignment(got, want)
                if 0 < distance <= max(1, len(want) // 3):
                    confusions.update(pairs)

    with open(out, "w") as f:
        f.write("# OCR word corrections for vendor names and addresses, learned from %d receipts\n"
                "# by scripts/train-lexicon.py (see there for the format).\n" % receipts)
        for word in sorted(vendors_of):
            if len(vendors_of[word]) >= 2:
                f.write("word %s %d\n" % (word, len(vendors_of[word])))
        for word in sorted(docs_of):
            if docs_of[word] >= 2 and len(vendors_of.get(word, ())) < 2:
                f.write("known %s\n" % word)
        for postcode in sorted(towns):
            for town in sorted(towns[postcode]):
                f.write("postcode %s %s\n" % (postcode, town))
        for (got, want), n in sorted(confusions.items()):
            if n >= 2:
                f.write("confusion %s %s %d\n" % (got, want, n))


if __name__ == "__main__":
    main()
