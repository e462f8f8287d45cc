#!/usr/bin/env python3
"""Write N IdoSell customer rows to standard output (a generated file for benchmarks).

Usage: gen_idosell.py N > customers.csv
Rows are deterministic (seeded), valid, unique by login and e-mail, and written as they are
generated, so the generator itself needs no memory for large N.
"""
import random
import sys

HEADER = ("login;email;firstname;lastname;companyname;phone;street;zipcode;city;country;language;"
          "date_of_registration;recently_logged_on;shop;client_type;mailing;newsletter_sms;"
          "note_about_client;loyalty_points;rebate;orders_all;orders_worth")
FIRST = ["Jan", "Anna", "Piotr", "Katarzyna", "Tomasz", "Żaneta", "Łukasz", "Małgorzata", "Paweł", "Ewa"]
LAST = ["Kowalski", "Nowak", "Wiśniewska", "Wójcik", "Kamiński", "Lewandowska", "Zieliński", "Szymańska"]
CITY = ["Warszawa", "Kraków", "Łódź", "Wrocław", "Poznań", "Gdańsk", "Szczecin", "Lublin"]


def main():
    n = int(sys.argv[1])
    rnd = random.Random(42)
    out = sys.stdout
    out.write(HEADER + "\r\n")
    for i in range(n):
        first, last, city = rnd.choice(FIRST), rnd.choice(LAST), rnd.choice(CITY)
        company = f"Firma {i} Sp. z o.o." if i % 7 == 0 else ""
        kind = "firm" if company else rnd.choice(["private", "male", "female"])
        note = f'"Uwaga; klient {i}, ""VIP"""' if i % 13 == 0 else ""
        out.write(
            f"user{i};user{i}@example{i % 97}.pl;{first};{last};{company};+48{rnd.randrange(10**8, 10**9)};"
            f"Ulica {rnd.randrange(1, 200)}/{rnd.randrange(1, 50)};{rnd.randrange(10, 99)}-{rnd.randrange(100, 999)};{city};pl;pol;"
            f"20{rnd.randrange(10, 25)}-0{rnd.randrange(1, 9)}-1{rnd.randrange(0, 9)} 1{rnd.randrange(0, 9)}:3{rnd.randrange(0, 9)}:0{rnd.randrange(0, 9)};"
            f"2025-0{rnd.randrange(1, 9)}-2{rnd.randrange(0, 8)} 0{rnd.randrange(0, 9)}:00:00;{rnd.choice(['1', '1,2', '2'])};{kind};"
            f"{rnd.choice(['t', 'n', '1,2'])};{rnd.choice(['t', 'n'])};{note};{rnd.randrange(0, 5000)};"
            f"{rnd.choice(['wyłączony', '5.00', '2.50'])};{rnd.randrange(0, 40)};{rnd.randrange(0, 100000)}.{rnd.randrange(10, 99)}\r\n"
        )


if __name__ == "__main__":
    main()
