"""Small access-to-information request files for the consultation tests: three themes (medicines,
waiting times, ambulance contracts), each from its own obligated body, with the headers the
Plataforma Nacional de Transparencia exports."""

HEADER = "Folio,Fecha de solicitud,Sujeto obligado,Descripción de la solicitud"

THEMES = [
    ("Secretaría de Salud Jalisco", [
        "Solicito el inventario de medicamentos del centro de salud {n} y las claves en desabasto",
        "Pido la existencia de medicamentos para diabetes en la farmacia del centro de salud {n}",
        "Requiero saber cuántas recetas no se surtieron por desabasto de medicamentos en el centro de salud {n}",
    ]),
    ("Hospital Civil de Guadalajara", [
        "Solicito los tiempos de espera para una cita de especialidad en el hospital en el mes {n}",
        "Pido el promedio de días de espera para cirugía programada en el hospital durante el mes {n}",
        "Requiero la lista de espera de citas de consulta externa del hospital del mes {n}",
    ]),
    ("OPD Servicios de Salud Jalisco", [
        "Solicito los contratos de compra de ambulancias firmados en el año {n} con su monto",
        "Pido las facturas y contratos de adquisición de ambulancias y vehículos del año {n}",
        "Requiero el monto pagado a proveedores por contratos de ambulancias en el año {n}",
    ]),
]


def request_rows(first_folio, count):
    """`count` CSV rows of the three themes in turn, dated (DD/MM/AAAA) over the first half of 2026,
    one folio each from `first_folio` on."""
    rows = []
    for index in range(count):
        body, texts = THEMES[index % 3]
        text = texts[(index // 3) % 3].format(n=index + 1)
        rows.append(f"{first_folio + index:013d},{(index * 3) % 27 + 1:02d}/{(index % 6) + 1:02d}/2026,{body},\"{text}\"")
    return rows


def request_csv(rows):
    """A whole file: the header and the rows, UTF-8."""
    return ("\n".join([HEADER] + rows) + "\n").encode("utf-8")
