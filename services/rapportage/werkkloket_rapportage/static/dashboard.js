"use strict";
/* global oidc */
const API = "/api/v1/rapportage";
const STAPPEN = [["aangemeld", "Aangemeld"], ["volledig", "Volledig profiel"], ["toegewezen", "Toegewezen"],
  ["eerste_contact", "Eerste contact"], ["gesprek", "Gesprek"], ["geplaatst", "Geplaatst"], ["duurzaam", "Duurzaam"]];
const nl = new Intl.NumberFormat("nl-NL");
const el = (id) => document.getElementById(id);

// Outside the reader's own scope a count of 1 to 4 persons comes as "<5" and a figure that would reveal one as
// "x": shown as they come, and counted as 0 in bars and sums.
const getal = (w) => (typeof w === "number" ? nl.format(w) : w === null || w === undefined ? "–" : String(w));
const waarde = (w) => (typeof w === "number" ? w : 0);

// The person logs in at the OpenID Connect provider with oidc-client-ts (vendor/): authorization code with PKCE
// (S256). The tokens stay in this page's memory (InMemoryWebStorage); sessionStorage holds only the library's
// state and PKCE verifier during the round trip to the provider.
let gebruikers = null; // oidc.UserManager
let gebruiker = null; // oidc.User of the person logged in
let netIngelogd = false; // a 401 right after a login is not answered with another login

class Geweigerd extends Error {}

function params() {
  const p = new URLSearchParams();
  for (const [k, v] of new FormData(el("filters")).entries()) { if (v) p.set(k, v); }
  return p;
}

async function haal(pad, p) {
  const r = await fetch(`${API}/${pad}?${p}`, { headers: { Authorization: `Bearer ${gebruiker.access_token}` } });
  if (r.status === 401) { throw new Geweigerd("401"); }
  const body = await r.json();
  if (!r.ok) { throw new Error(body.detail || body.title || r.statusText); }
  return body;
}

function zet(naam, waarde) {
  for (const n of document.querySelectorAll(`[data-cijfer="${naam}"]`)) { n.textContent = waarde; }
}

function tekst(tag, inhoud, attrs) {
  const n = document.createElement(tag);
  n.textContent = inhoud;
  for (const [k, v] of Object.entries(attrs || {})) { n.setAttribute(k, v); }
  return n;
}

function trechter(totaal) {
  const doel = el("trechter"); doel.replaceChildren();
  const max = Math.max(1, waarde(totaal.aangemeld));
  for (const [k, label] of STAPPEN) {
    const rij = document.createElement("div"); rij.className = "balk";
    const staaf = document.createElement("div"); staaf.className = "staaf";
    const vulling = document.createElement("div"); vulling.className = "vulling";
    vulling.style.width = `${(100 * waarde(totaal[k])) / max}%`;
    staaf.append(vulling);
    rij.append(tekst("span", label), staaf, tekst("span", getal(totaal[k]), { class: "getal", "data-trechter": k }));
    doel.append(rij);
  }
}

function maanden(rijen) {
  const doel = el("maanden"); doel.replaceChildren();
  const max = Math.max(1, ...rijen.map((r) => waarde(r.geplaatst) + waarde(r.geclaimd)));
  for (const r of rijen) {
    const m = document.createElement("div"); m.className = "maand"; m.title = `${r.maand}: ${r.geplaatst} bevestigd, ${r.geclaimd} geclaimd`;
    const geclaimd = document.createElement("div"); geclaimd.className = "kolom geclaimd"; geclaimd.style.height = `${(130 * waarde(r.geclaimd)) / max}px`;
    const kolom = document.createElement("div"); kolom.className = "kolom"; kolom.style.height = `${(130 * waarde(r.geplaatst)) / max}px`;
    m.append(tekst("span", getal(r.geplaatst), { "data-maand": r.maand }), geclaimd, kolom, tekst("span", r.maand.slice(2)));
    doel.append(m);
  }
}

function voortgangsbalk(pct) {
  const b = document.createElement("div"); b.className = "voortgang";
  const v = document.createElement("div"); v.style.width = `${Math.min(100, waarde(pct))}%`; b.append(v);
  return b;
}

function pct(w) { return typeof w === "number" ? `${nl.format(w)}%` : getal(w); }

function programmas(doelen) {
  const body = el("programmas"); body.replaceChildren();
  for (const p of doelen.programmas) {
    const tr = document.createElement("tr"); tr.dataset.programma = p.code;
    const balk = document.createElement("td"); balk.append(voortgangsbalk(p.voortgang));
    tr.append(tekst("td", p.naam), tekst("td", getal(p.doel)), tekst("td", getal(p.gerealiseerd), { "data-veld": "gerealiseerd" }),
      tekst("td", pct(p.voortgang), { "data-veld": "voortgang" }), balk);
    body.append(tr);
  }
}

function bureaus(funnel, doelen) {
  const afspraak = Object.fromEntries(doelen.uitzendbureaus.map((b) => [b.uitzendbureau, b]));
  const body = el("bureaus"); body.replaceChildren();
  for (const b of funnel.per_uitzendbureau) {
    const d = afspraak[b.uitzendbureau] || {};
    const tr = document.createElement("tr"); tr.dataset.uitzendbureau = b.uitzendbureau;
    const cellen = [["uitzendbureau", b.uitzendbureau], ["toegewezen", getal(b.toegewezen)], ["eerste_contact", getal(b.eerste_contact)],
      ["gesprek", getal(b.gesprek)], ["geplaatst", getal(b.geplaatst)], ["duurzaam", getal(b.duurzaam)],
      ["afgesproken", d.afgesproken ? getal(d.afgesproken) : "–"], ["voortgang", pct(d.voortgang)]];
    for (const [veld, waarde] of cellen) { tr.append(tekst("td", waarde, { "data-veld": veld })); }
    body.append(tr);
  }
}

async function laad() {
  const start = performance.now();
  document.body.dataset.geladen = "nee";
  el("melding").textContent = "";
  const p = params();
  if (!gebruiker || gebruiker.expired) { inloggen(); return; }
  try {
    const [funnel, perMaand, duurzaam, doelen] = await Promise.all([
      haal("funnel", p), haal("plaatsingen-per-maand", p), haal("duurzaamheid", p), haal("doelen", p)]);
    const t = funnel.totaal;
    el("peil").textContent = `peildatum ${funnel.peildatum}`;
    if (!el("f-peildatum").value) { el("f-peildatum").value = funnel.peildatum; }
    for (const k of ["aangemeld", "gesprek", "geplaatst", "geclaimd", "duurzaam"]) { zet(k, getal(t[k])); }
    const mijlpaal = duurzaam.mijlpalen.find((m) => m.maanden === funnel.duurzaam_maanden);
    el("duurzaam-maanden").textContent = funnel.duurzaam_maanden;
    zet("beoordeelbaar", getal(mijlpaal.beoordeelbaar));
    zet("duurzaam", getal(mijlpaal.duurzaam));
    const onderdrukt = [funnel, perMaand, duurzaam, doelen].some((r) => r.onderdrukt);
    el("onderdrukt").hidden = !onderdrukt;
    document.body.dataset.onderdrukt = onderdrukt ? "ja" : "nee";
    zet("duurzaam-percentage", pct(mijlpaal.percentage));
    trechter(t); maanden(perMaand.maanden); programmas(doelen); bureaus(funnel, doelen);
    const ms = Math.round(performance.now() - start);
    el("laadtijd").textContent = `Geladen in ${ms} ms.`;
    document.body.dataset.laadtijd = String(ms);
    document.body.dataset.geladen = "ja";
    netIngelogd = false;
  } catch (e) {
    document.body.dataset.geladen = "fout";
    if (!(e instanceof Geweigerd)) { el("melding").textContent = `Fout: ${e.message}`; return; }
    if (netIngelogd) { el("melding").textContent = "De rapportage weigert deze aanmelding."; return; }
    inloggen(); // the token expired or was refused: log in again (silent while the provider's session lasts)
  }
}

function sessie(stand) { document.body.dataset.sessie = stand; }

function ingelogd(u) {
  gebruiker = u;
  const p = u.profile;
  el("wie-naam").textContent = [p.given_name, p.family_name].filter(Boolean).join(" ") || p.name || p.preferred_username || "";
  el("wie-organisatie").textContent = p.organisatie_naam || p.organisatie || "";
  el("wie").hidden = false; el("uitloggen").hidden = false;
  el("login").hidden = true; el("dashboard").hidden = false;
  sessie("in");
}

function uitgelogd(melding) {
  gebruiker = null;
  el("wie").hidden = true; el("uitloggen").hidden = true;
  el("dashboard").hidden = true; el("login").hidden = false;
  el("loginmelding").textContent = melding || "";
  el("inloggen").disabled = !gebruikers;
  sessie("uit");
}

function inloggen() {
  sessie("bezig");
  // The filters in the address come back with the login's state.
  gebruikers.signinRedirect({ state: location.search })
    .catch((e) => uitgelogd(`Inloggen lukt niet: ${e.message}`));
}

function uitloggen() {
  sessie("bezig");
  // The provider ends its session (id_token_hint) and sends the browser back here, with the state it was given.
  gebruikers.signoutRedirect({ id_token_hint: gebruiker ? gebruiker.id_token : undefined, state: "uitgelogd" })
    .catch((e) => uitgelogd(`Uitloggen lukt niet: ${e.message}`));
}

async function provider() {
  const r = await fetch("/dashboard/config.json", { cache: "no-store" });
  if (!r.ok) { throw new Error(`config.json: ${r.status}`); }
  const config = await r.json();
  const hier = `${location.origin}${location.pathname}`;
  const manager = new oidc.UserManager({
    authority: config.issuer,
    client_id: config.client_id,
    redirect_uri: hier,
    post_logout_redirect_uri: hier,
    response_type: "code",
    scope: "openid",
    userStore: new oidc.WebStorageStateStore({ store: new oidc.InMemoryWebStorage() }),
    automaticSilentRenew: true, // with the refresh token, before the access token expires
  });
  manager.events.addUserLoaded((u) => { gebruiker = u; });
  manager.events.addUserUnloaded(() => { gebruiker = null; });
  return manager;
}

function filtersUitAdres() {
  for (const [k, v] of new URLSearchParams(location.search)) { const f = el(`f-${k}`); if (f) { f.value = v; } }
}

async function start() {
  sessie("bezig");
  try {
    gebruikers = await provider();
  } catch (e) {
    uitgelogd(`De inlogdienst is niet bereikbaar: ${e.message}`);
    return;
  }
  gebruikers.clearStaleState().catch(() => undefined); // state of logins never finished
  const adres = new URLSearchParams(location.search);
  if (adres.has("code") || adres.has("error")) { // back from the provider's login
    let u;
    try {
      u = await gebruikers.signinRedirectCallback();
    } catch (e) {
      history.replaceState(null, "", location.pathname);
      uitgelogd(`Inloggen mislukt: ${e.message}`);
      return;
    }
    const zoek = typeof u.state === "string" && u.state.startsWith("?") ? u.state : "";
    history.replaceState(null, "", `${location.pathname}${zoek}`);
    netIngelogd = true;
    ingelogd(u);
    filtersUitAdres();
    laad();
  } else if (adres.has("state")) { // back from the provider's logout
    await gebruikers.signoutRedirectCallback().catch(() => undefined);
    history.replaceState(null, "", location.pathname);
    uitgelogd("U bent uitgelogd.");
  } else {
    filtersUitAdres();
    uitgelogd("");
  }
}

el("inloggen").addEventListener("click", inloggen);
el("uitloggen").addEventListener("click", uitloggen);
el("filters").addEventListener("submit", (e) => { e.preventDefault(); laad(); });
start();
