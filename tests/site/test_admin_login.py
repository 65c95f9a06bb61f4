"""Every demo account signs into the Wagtail admin through its real login form, in French."""

from __future__ import annotations

import pytest

from casi_workspace.demo.data import ACCOUNTS, DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", [account[0] for account in ACCOUNTS])
def test_demo_account_logs_into_admin(client, username):
    response = client.post("/admin/login/", {"username": username, "password": DEFAULT_PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/admin/"
    assert 'lang="fr"' in response.content.decode()
    assert "Tableau de bord" in response.content.decode()


def test_wrong_password_is_refused_in_french(client):
    response = client.post("/admin/login/", {"username": "asso-a", "password": "wrong"})
    assert response.status_code == 200
    assert "/admin/login/" in response.request["PATH_INFO"]
    assert "mot de passe ne correspondent à aucun utilisateur" in response.content.decode()
