"""A citizen proposal in a real browser: on a phone, without an account, a neighbour proposes while the
consultation is open and leaves an email; they confirm it from the mail, the STL publishes the proposal
and answers it from its page, the neighbour is mailed the response and reads it on the public page,
where their email never appears."""
import datetime
import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import make_browser
from browser_steps import assert_no_horizontal_scroll, main_text, navigate, sign_in, subject
from cocrea_server import ADMIN, API, DEMO_EXERCISE, cocrea_server, smtp_sink

FACILITATOR = "jorge.ramirez@stl-jalisco.example"
NEIGHBOUR = "rosa.martinez.vecina@correo.example"
PHONE = (390, 844)
PROBLEM = "El camión de la ruta 380 deja de pasar después de las 9 de la noche"
SOLUTION = "Publicar en datos abiertos los horarios reales de cada ruta, medidos por GPS"
REASON = "El transporte público lo regula el gobierno del estado; lo llevaremos a su mesa de movilidad."


@pytest.fixture(scope="module")
def site():
    """A server of its own: the demo exercise published with a consultation open today."""
    with smtp_sink() as mailbox, cocrea_server(mailbox.port) as server:
        api = API(server.base, server.token(ADMIN))
        exercise = next(e for e in api("GET", "/exercises") if e["name"] == DEMO_EXERCISE)["id"]
        api("POST", f"/exercises/{exercise}/publication")
        today = datetime.date.today()
        api("PUT", f"/exercises/{exercise}/roadmap", [
            {"kind": "consultation", "title": "Consulta pública de movilidad",
             "startsOn": (today - datetime.timedelta(days=1)).isoformat(), "endsOn": (today + datetime.timedelta(days=20)).isoformat()}])
        yield dict(base=server.base, exercise=exercise, mailbox=mailbox)


def test_a_neighbour_proposes_on_a_phone_confirms_and_reads_the_response(site):
    base, exercise, mailbox = site["base"], site["exercise"], site["mailbox"]
    public = f"{base}/public/exercises/{exercise}/proposals"
    phone = make_browser(*PHONE)
    stl = make_browser()
    try:
        phone.get(public)
        assert "La consulta pública está abierta hasta el" in main_text(phone)
        assert_no_horizontal_scroll(phone, "the proposal form on a phone")
        phone.find_element(By.ID, "problem").send_keys(PROBLEM)
        phone.find_element(By.ID, "solution").send_keys(SOLUTION)
        phone.find_element(By.ID, "theme").send_keys("Movilidad")
        phone.find_element(By.ID, "email").send_keys(NEIGHBOUR)
        navigate(phone, phone.find_element(By.XPATH, "//form//button[normalize-space()='Enviar propuesta']"))
        assert "¡Gracias! Recibimos tu propuesta." in main_text(phone)
        assert "Te enviamos un correo para confirmar tu dirección" in main_text(phone)

        (confirmation,) = mailbox.wait_for(lambda m: subject(m).startswith("Confirma tu correo") and m["rcptTos"] == [NEIGHBOUR], 1)
        link = re.search(r"http://\S+/public/proposals/confirm/[^\s/]+", confirmation["textBody"]).group(0)
        phone.get(link)
        navigate(phone, phone.find_element(By.XPATH, "//form//button[normalize-space()='Confirmar mi correo']"))
        assert "te avisaremos por correo cuando el STL responda" in main_text(phone)

        sign_in(stl, base, FACILITATOR)
        stl.get(f"{base}/exercises/{exercise}/proposals")
        assert PROBLEM in main_text(stl)
        Select(stl.find_element(By.CSS_SELECTOR, "select[name=action]")).select_by_value("publish")
        navigate(stl, stl.find_element(By.XPATH, "//form//button[normalize-space()='Guardar moderación']"))
        assert "Moderación guardada." in main_text(stl)
        Select(stl.find_element(By.CSS_SELECTOR, "select[name=outcome]")).select_by_value("notIncorporated")
        stl.find_element(By.CSS_SELECTOR, "textarea[name=reason]").send_keys(REASON)
        navigate(stl, stl.find_element(By.XPATH, "//form//button[normalize-space()='Guardar respuesta']"))
        assert "Respuesta guardada y publicada." in main_text(stl)

        (response,) = mailbox.wait_for(lambda m: subject(m).startswith("Respuesta a tu propuesta") and m["rcptTos"] == [NEIGHBOUR], 1)
        assert "Resultado: no incorporada." in response["textBody"]

        phone.get(public)
        text = main_text(phone)
        assert PROBLEM in text and SOLUTION in text and "No incorporada" in text and REASON in text
        assert NEIGHBOUR not in phone.page_source
        assert_no_horizontal_scroll(phone, "the public proposals on a phone")
    finally:
        phone.quit()
        stl.quit()
