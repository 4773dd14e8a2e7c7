import { describe, expect, it } from "vitest";
import { findOrderNumbers, normaliseOrderNumber, orderNameKey } from "../../../app/domain/inbox/order-number";

describe("findOrderNumbers", () => {
  it.each([
    ["Hi, where is my order #1001? It's been a week.", ["#1001"]],
    ["Order number: 1002 hasn't arrived", ["#1002"]],
    ["Re: order no. 1003", ["#1003"]],
    ["#1004", ["#1004"]],
    ["Hola, mi pedido 1005 no llegó", ["#1005"]],
    ["Orden #1006 incompleta", ["#1006"]],
    ["hice la orden 1007 el lunes", ["#1007"]],
    ["Número de pedido: 1008", ["#1008"]],
    ["PEDIDO NÚMERO 1009", ["#1009"]],
    ["pedido nº 1010, talla M", ["#1010"]],
    ["Minha encomenda nº 1011 chegou quebrada", ["#1011"]],
    ["Encomenda N° 1012", ["#1012"]],
    ["Olá! Pedido n.º 1013 ainda não chegou", ["#1013"]],
    ["Número do pedido: 1014", ["#1014"]],
  ])("finds the order in %j", (text, expected) => {
    expect(findOrderNumbers(text)).toEqual(expected);
  });

  it("finds several, once each, in the order they appear (lists included)", () => {
    expect(findOrderNumbers("Sobre #1002: chegou. E o pedido 1001? Ainda falta o #1002.")).toEqual(["#1002", "#1001"]);
    expect(findOrderNumbers("Los pedidos 1020 y 1021 llegaron juntos")).toEqual(["#1020", "#1021"]);
    expect(findOrderNumbers("orders 1030, 1031 and #1032")).toEqual(["#1030", "#1031", "#1032"]);
  });

  it.each([
    "Call me at +55 11 98765-4321 please",
    "My number is (305) 555-0142",
    "mi celular es 5512345678",
    "I paid $1001.00 for it",
    "Paguei R$ 1.001,00 no cartão",
    "pedido de 1500 pesos",
    "I ordered in 2024 and again in March",
    "Fiz o pedido em 2023",
    "CEP 01310-100, São Paulo",
    "Calle Mayor 5, 28001 Madrid",
    "ZIP 90210",
    "it&#1001;s fine",
    "Apt #1204, Miami",
    "Ticket #2048 from your other system",
    "order 12 items",
    "pedido 01310",
    "order 2024-03-05",
  ])("finds no order in %j", (text) => {
    expect(findOrderNumbers(text)).toEqual([]);
  });

  it("handles empty input", () => {
    expect(findOrderNumbers("")).toEqual([]);
    expect(findOrderNumbers(null)).toEqual([]);
  });
});

describe("normaliseOrderNumber", () => {
  it.each(["1001", "#1001", " # 1001 ", "#1001\n"])("%j → #1001", (input) => {
    expect(normaliseOrderNumber(input)).toBe("#1001");
  });

  it.each(["", "#", "abc", "10-01", "#0123", "order 1001", null])("%j → null", (input) => {
    expect(normaliseOrderNumber(input)).toBeNull();
  });
});

describe("orderNameKey", () => {
  it("compares order names with the shop's prefix or suffix by their number", () => {
    expect(orderNameKey("#1001")).toBe("#1001");
    expect(orderNameKey("CB1001")).toBe("#1001");
    expect(orderNameKey("#1001-MX")).toBe("#1001");
    expect(orderNameKey("A-2-3")).toBeNull();
    expect(orderNameKey(null)).toBeNull();
  });
});
