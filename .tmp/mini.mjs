import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Module, Controller, Get, Param } from '@nestjs/common';
const body = {"fsa":"K1A","province":{"geoCode":35,"alphaCode":"ON","nameEn":"Ontario","nameFr":"Ontario"},"healthRegions":[{"hrUid":3551,"nameEn":"City of Ottawa Health Unit","nameFr":"Circonscription sanitaire de la ville d'Ottawa","shortNameEn":"Ottawa","shortNameFr":"Ottawa","estimatedPopulation":3756,"share":1}]};
class C { get(code) { return body; } }
Get(':code')(C.prototype, 'get', Object.getOwnPropertyDescriptor(C.prototype, 'get'));
Param('code')(C.prototype, 'get', 0);
Controller('api/v1/fsa')(C);
class M {}
Module({ controllers: [C] })(M);
const app = await NestFactory.create(M, { logger: false });
await app.listen(3999, '127.0.0.1');
process.on('SIGINT', () => process.exit(0));
